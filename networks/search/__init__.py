"""networks.search: Search (a room of networks, DESIGN §2)."""
