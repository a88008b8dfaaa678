package io.github.idallocator.etcd;

import io.etcd.jetcd.Client;
import io.github.idallocator.snowflake.WorkerIdStore;
import io.github.idallocator.tck.WorkerIdStoreContractTest;
import io.github.idallocator.test.EtcdProcess;
import io.github.idallocator.test.WithEtcd;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The worker-id store contract every backend keeps, on a real single-member etcd. */
@WithEtcd
class EtcdWorkerIdStoreContractTest extends WorkerIdStoreContractTest {

    private static Client client;

    @BeforeAll
    static void connect(EtcdProcess etcd) {
        client = Client.builder().endpoints(etcd.endpoint()).build();
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    protected WorkerIdStore createStore(String namespace, long minId, long maxId, String instanceId) {
        return new EtcdWorkerIdStore(client, "idalloc/" + namespace + "/", minId, maxId, instanceId);
    }

    /** etcd counts lease time in whole seconds, 1 s at least. */
    @Override
    protected Duration shortTtl() {
        return Duration.ofSeconds(1);
    }
}
