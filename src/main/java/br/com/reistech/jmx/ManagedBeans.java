package br.com.reistech.jmx;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.management.Attribute;
import javax.management.AttributeNotFoundException;
import javax.management.InvalidAttributeValueException;
import javax.management.JMException;
import javax.management.MBeanException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.StandardMBean;
import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The webapp's MBeans on the platform MBean server, named {@code br.com.reistech:type=...,context=...}
 * so that two webapps in one Tomcat do not collide. {@link #close()} unregisters every one of them
 * still its own: a registered MBean would otherwise keep the webapp's class loader alive after
 * undeploy. Two versions of one context (parallel deployment) share names: the newer replaces the
 * older's MBeans, and the older's undeploy leaves them alone.
 */
public final class ManagedBeans implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(ManagedBeans.class);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final String context;
    private final Deque<ObjectName> registered = new ArrayDeque<>();

    /** @param contextPath the webapp's context path ({@code ""} for ROOT) */
    public ManagedBeans(String contextPath) {
        this.context = contextPath.isEmpty() ? "ROOT" : contextPath.substring(1).replaceAll("[,=:\"*?\\s]", "_");
    }

    /** The context's name in MBean names: {@code ROOT} or the path without its slash. */
    public String context() {
        return context;
    }

    /** Registers {@code bean} as the MXBean {@code view}, named {@code type}, replacing one left by an earlier deployment. */
    public <T> void register(String type, Class<T> view, T bean) {
        try {
            ObjectName name = new ObjectName("br.com.reistech:type=" + type + ",context=" + context);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new Traced<>(bean, view), name);
            registered.push(name);
        } catch (JMException invalid) {
            throw new IllegalStateException("MBean " + type + " could not be registered", invalid);
        }
    }

    /** An MXBean whose operations log (and audit) under a request id of their own: {@code jmx-<hex>}. */
    private static final class Traced<T> extends StandardMBean {
        Traced(T bean, Class<T> view) {
            super(bean, view, true);
        }

        @Override
        public Object invoke(String operation, Object[] parameters, String[] signature)
                throws MBeanException, ReflectionException {
            try (var traced = CloseableThreadContext.put("requestId", "jmx-" + Long.toHexString(System.nanoTime()))) {
                return super.invoke(operation, parameters, signature);
            }
        }

        @Override
        public void setAttribute(Attribute attribute) throws AttributeNotFoundException, InvalidAttributeValueException,
                MBeanException, ReflectionException {
            try (var traced = CloseableThreadContext.put("requestId", "jmx-" + Long.toHexString(System.nanoTime()))) {
                super.setAttribute(attribute);
            }
        }
    }

    @Override
    public void close() {
        while (!registered.isEmpty()) {
            ObjectName name = registered.pop();
            try {
                // Under Tomcat's parallel deployment a newer version of the webapp (same context
                // path, so same names) has replaced this one's MBeans: those are not this one's to remove.
                if (server.getClassLoaderFor(name) == ManagedBeans.class.getClassLoader()) {
                    server.unregisterMBean(name);
                }
            } catch (JMException gone) {
                LOG.debug("MBean {} already unregistered", name);
            }
        }
    }
}
