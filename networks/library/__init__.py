"""networks.library: Document library (a room of networks, DESIGN §2)."""
