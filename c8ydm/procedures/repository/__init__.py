"""Repositories: firmware, software, configuration (and, built on the same specs, device profiles).

kinds       RepoKind: one spec per repository kind (FIRMWARE, SOFTWARE, CONFIGURATION)
lookup      resolve_entry / find_entry (id or exact name), the list grid's query
versions    Version, PackageSpec (NAME@VERSION), versions and patches of a versioned entry
checks      field, new-entry, locked-field and device-type checks
steps       c8y_Global flags, reconciled creates, upload, link, Undo (compensation)
add         plan_add / execute_add: the UI's add flow for every kind
manage      list, show, edit
delete      plan_delete / execute_delete
download    download_file (streamed)
profiles/   device profiles: content, item pickers, create/copy/edit, set (one PUT, verified)
"""
