"""Staged rollouts: waves on the tenant's bulk engine, gates between them, resume from anywhere.

settings, request   what the user typed: waves, thresholds, durations; one source, one target
operations          the operation of each kind (bulk prototypes) and why a device is left out
planner             plan_rollout: target read once and frozen, exclusions, seeded shuffle, waves
state, record       the c8ydm_Rollout managed object: plan, progress, control, lease
store, lease        reading and writing it; who drives it (one runner at a time)
waves               each wave's hidden group and bulk operation, reconciled before creation
gates, schedule     counts, threshold, device timeout, alarms; when to look again
steps, driver       begin/watch/judge/stop a wave; drive() and its outcomes (exit 0, 12, 13, 14)
control, status     start (or adopt), resume, pause, cancel, retry; where a rollout stands
"""
