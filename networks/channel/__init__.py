"""networks.channel: Discussions (a room of networks, DESIGN §2)."""
