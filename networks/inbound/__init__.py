"""networks.inbound: Inbound email (a room of networks, DESIGN §2)."""
