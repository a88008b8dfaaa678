package io.github.idallocator.test;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one single-member etcd per test class and injects it into parameters of type {@link EtcdProcess}; skips the
 * class (an assumption, with a message naming {@code apt-get install -y etcd-server}) when there is no etcd binary.
 */
public final class EtcdExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EtcdExtension.class);

    /** Skips the calling test with a clear message when no etcd binary is installed. */
    public static void assumeEtcdInstalled() {
        Assumptions.assumeTrue(EtcdProcess.binary().isPresent(), EtcdProcess.MISSING_MESSAGE);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        assumeEtcdInstalled();
        etcd(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EtcdProcess.class;
    }

    @Override
    public EtcdProcess resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return etcd(extensionContext);
    }

    private static EtcdProcess etcd(ExtensionContext context) {
        ExtensionContext classContext =
                context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                        ? context.getParent().orElse(context)
                        : context;
        return classContext
                .getStore(NAMESPACE)
                .computeIfAbsent(EtcdProcess.class, key -> EtcdProcess.startSingle(), EtcdProcess.class);
    }
}
