"""networks.digest: Digests and delivery (a room of networks, DESIGN §2)."""
