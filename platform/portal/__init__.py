"""The platform core: settings, URLs, plugin hooks, accounts, publishing and page models."""
