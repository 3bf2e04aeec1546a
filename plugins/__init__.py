"""Built-in plugins. Each is a Django app and a pluggy plugin found through `govsite.plugins`."""
