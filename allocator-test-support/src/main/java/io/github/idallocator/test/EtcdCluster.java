package io.github.idallocator.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A cluster of real etcd members on free loopback ports, started together; for leader-change tests. */
public final class EtcdCluster implements AutoCloseable {

    private final List<EtcdProcess> members;

    private EtcdCluster(List<EtcdProcess> members) {
        this.members = members;
    }

    /** Starts {@code size} members and waits until every one is healthy (which needs an elected leader). */
    public static EtcdCluster start(int size) {
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(new int[] {EtcdProcess.freePort(), EtcdProcess.freePort()});
        }
        StringBuilder initial = new StringBuilder();
        for (int i = 0; i < size; i++) {
            initial.append(i == 0 ? "" : ",")
                    .append("n")
                    .append(i + 1)
                    .append("=http://127.0.0.1:")
                    .append(ports.get(i)[1]);
        }
        List<EtcdProcess> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            members.add(EtcdProcess.create("n" + (i + 1), ports.get(i)[0], ports.get(i)[1], initial.toString()));
        }
        EtcdCluster cluster = new EtcdCluster(members);
        try {
            members.forEach(m -> m.start(true));
            members.forEach(EtcdProcess::awaitHealthy);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The members, in the order they were started. */
    public List<EtcdProcess> members() {
        return members;
    }

    /** Every member's client URL, for a client that fails over between them. */
    public String[] endpoints() {
        return members.stream().map(EtcdProcess::endpoint).toArray(String[]::new);
    }

    /** The current leader, waiting up to {@code timeout} for one to be elected. */
    public EtcdProcess awaitLeader(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (EtcdProcess member : members) {
                if (member.isRunning() && member.isLeader()) {
                    return member;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no etcd leader within " + timeout + " among "
                + members.stream().map(EtcdProcess::toString).collect(Collectors.joining(", ")));
    }

    @Override
    public void close() {
        members.forEach(EtcdProcess::close);
    }
}
