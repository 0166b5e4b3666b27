"""One device: what it is and has, and changing it (contract §6, §7, §8, §9.2).

info        list devices, installed firmware and software, last operations, describe_device
firmware    the c8y_Firmware fragment and operation (base version, legacy, patch)
software    one software operation in the device's style (c8y_SoftwareUpdate/List/Software)
profile     apply a device profile: guard, candidate check, the c8y_DeviceProfile operation
compliance  a device against the profile it reports; the devices of a profile and their drift
changes     install_on_device / remove_from_device: plan every operation, then create them
"""
