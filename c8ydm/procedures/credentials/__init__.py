"""Device credentials: device users, their global roles, access, passwords and bulk registration (§12).

targets     USER_OR_DEVICE -> the device user (a ``device_…`` user, or a device's own user, §12.5)
listing     list device users with roles and owned devices; show one with its certificates
roles       the global-role catalogue and a membership diff (§12.2)
access      enable / disable (§12.3) and the password change (§12.4)
removal     delete device users, or devices with their users (§12.5)
csvfile     the registration CSV: local checks, templates (§12.6)
register    one upload of the CSV, the per-row report, reconciliation of a lost answer (§12.6 ★)
"""
