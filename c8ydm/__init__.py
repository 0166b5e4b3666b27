"""c8ydm: device management for Cumulocity IoT tenants."""

__version__ = "0.1.0"
