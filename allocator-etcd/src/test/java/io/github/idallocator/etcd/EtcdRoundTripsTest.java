package io.github.idallocator.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.github.idallocator.snowflake.WorkerClaim;
import io.github.idallocator.test.EtcdProcess;
import io.github.idallocator.test.WithEtcd;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The etcd requests each store operation sends, counted by a gRPC interceptor on the client. */
@WithEtcd
class EtcdRoundTripsTest {

    private static final Duration TTL = Duration.ofSeconds(10);
    private static final List<String> CALLS = new CopyOnWriteArrayList<>();
    private static Client client;

    @BeforeAll
    static void connect(EtcdProcess etcd) {
        client = Client.builder()
                .endpoints(etcd.endpoint())
                .interceptor(new ClientInterceptor() {
                    @Override
                    public <Q, R> ClientCall<Q, R> interceptCall(
                            MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                        CALLS.add(method.getBareMethodName());
                        return next.newCall(method, options);
                    }
                })
                .build();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    private EtcdWorkerIdStore store;

    @BeforeEach
    void freshStore() {
        store = new EtcdWorkerIdStore(client, "idalloc/rtt-" + System.nanoTime() + "/", 0, 7, "a");
        CALLS.clear();
    }

    @Test
    void claimOfAFreePreferredIdSendsALeaseGrantAndOneTransaction() {
        store.claim(3, TTL, "n");

        assertThat(CALLS).containsExactly("LeaseGrant", "Txn");
    }

    @Test
    void claimOfAnyIdSendsALeaseGrantARangeReadAndOneTransaction() {
        store.claim(-1, TTL, "n");

        assertThat(CALLS).containsExactly("LeaseGrant", "Range", "Txn");
    }

    @Test
    void renewSendsOneKeepAliveAndOneTransaction() {
        WorkerClaim claim = store.claim(-1, TTL, "n");
        CALLS.clear();

        store.renew(claim, TTL, "n");

        assertThat(CALLS).containsExactly("LeaseKeepAlive", "Txn");
    }

    @Test
    void releaseSendsOneTransactionAndARevoke() {
        WorkerClaim claim = store.claim(-1, TTL, "n");
        CALLS.clear();

        store.release(claim, "n");

        assertThat(CALLS).containsExactly("Txn", "LeaseRevoke");
    }
}
