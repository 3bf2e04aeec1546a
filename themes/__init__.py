"""The unified theme: one look for the portal and every department channel (第十一条)."""
