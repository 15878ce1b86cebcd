"""Research on the real-news corpus: loading it, fine-tuning the encoder, evaluating."""
