"""Operations that write or read across models. They flush but never commit: the request does."""
