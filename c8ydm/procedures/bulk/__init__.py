"""Bulk operations (contract §11).

prototypes  operation prototypes: a copied operation, the UI's firmware and software ones
schedule    startDate and creationRamp (tenant bounds)
create      plan_bulk (read only) / execute_bulk; retry_bulk (failed devices)
status      list by status group, the document and progress, wait for the end
"""
