package io.github.idallocator.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.idallocator.test.EtcdExtension;
import io.github.idallocator.test.EtcdProcess;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The harness skips, naming the package to install, when no etcd binary can be found. */
class EtcdExtensionTest {

    @Test
    void missingBinarySkipsWithTheInstallCommand() {
        String previous = System.getProperty(EtcdProcess.BINARY_PROPERTY);
        System.setProperty(EtcdProcess.BINARY_PROPERTY, "/nonexistent/etcd");
        try {
            assertThat(EtcdProcess.binary()).isEmpty();
            assertThatThrownBy(EtcdExtension::assumeEtcdInstalled)
                    .isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("apt-get install -y etcd-server");
        } finally {
            if (previous == null) {
                System.clearProperty(EtcdProcess.BINARY_PROPERTY);
            } else {
                System.setProperty(EtcdProcess.BINARY_PROPERTY, previous);
            }
        }
    }
}
