"""Operations around the service: the demo and its simulated history (doctor joins later)."""
