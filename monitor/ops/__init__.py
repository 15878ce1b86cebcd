"""Operations: the demo scenario, doctor."""
