package io.yaptide.store.clusters;

/** A batch cluster (such as ares or prometheus) that batch simulations run on. */
public record Cluster(long id, String name) {
}
