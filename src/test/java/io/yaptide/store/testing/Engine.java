package io.yaptide.store.testing;

/** The two databases every database test runs on. */
public enum Engine { SQLITE, POSTGRES }
