"""Operations: doctor checks and the demo scenario."""
