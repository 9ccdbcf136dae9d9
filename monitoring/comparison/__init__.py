"""monitoring.comparison: an organisation's figures beside a peer group of similar municipalities (issue 17 §2)."""
