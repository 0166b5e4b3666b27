"""Device operations (contract §10, §1.12).

waiting     wait for many operations cheaply, under one deadline
control     cancel (plan, then execute)
"""
