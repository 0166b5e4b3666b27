"""Staged rollouts (waves on the tenant's bulk engine): built in the rollout issue."""
