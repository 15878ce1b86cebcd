"""Operations: the `doctor` checks and the bundled demo scenario."""
