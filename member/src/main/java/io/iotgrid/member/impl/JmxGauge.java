package io.iotgrid.member.impl;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * One read-only JMX gauge, {@code <domain>:type=Metrics,instance=<member>,map=<map>} with one attribute, read when
 * scraped: the Prometheus agent of the distribution and the demo (filter {@code com.hazelcast*:type=Metrics,*})
 * exports it as {@code com_hazelcast_iotgrid_Metrics_<attribute>{instance=...,map=...}}. A DynamicMBean because a
 * standard MBean would capitalise the attribute's name.
 */
public final class JmxGauge implements DynamicMBean {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.\\-]+");

    private final ObjectName name;
    private final String attribute;
    private final LongSupplier value;

    private JmxGauge(ObjectName name, String attribute, LongSupplier value) {
        this.name = name;
        this.attribute = attribute;
        this.value = value;
    }

    /** Registers the gauge in the platform MBean server, replacing one of the same name (a map created again). */
    public static JmxGauge register(String domain, String instance, String map, String attribute,
                                      LongSupplier value) throws JMException {
        // `type` first: the Prometheus agent names the metric after the domain, that value and the attribute, and
        // turns the other keys into labels; a plain value unquoted, or the quotes would be part of the label.
        ObjectName name = new ObjectName(domain + ":type=Metrics,instance=" + value(instance) + ",map=" + value(map));
        JmxGauge gauge = new JmxGauge(name, attribute, value);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        server.registerMBean(gauge, name);
        return gauge;
    }

    /** {@code s} as an object name's value: as it is when plain, else quoted. */
    public static String value(String s) {
        return PLAIN.matcher(s).matches() ? s : ObjectName.quote(s);
    }

    /** Removes the gauge; nothing when it is gone already. */
    public void unregister() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException e) {
            // A gauge that cannot be removed stays until the JVM ends; nothing else depends on it.
        }
    }

    /** The gauge's object name. */
    public ObjectName name() {
        return name;
    }

    @Override
    public Object getAttribute(String attr) throws AttributeNotFoundException {
        if (!attribute.equals(attr)) {
            throw new AttributeNotFoundException(attr);
        }
        return value.getAsLong();
    }

    @Override
    public void setAttribute(Attribute attr) {
        throw new UnsupportedOperationException("read-only gauge");
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        for (String a : attributes) {
            if (attribute.equals(a)) {
                list.add(new Attribute(a, value.getAsLong()));
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException(actionName);
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return new MBeanInfo(JmxGauge.class.getName(), "iot-grid gauge",
                new MBeanAttributeInfo[] {new MBeanAttributeInfo(attribute, "long", attribute, true, false, false)},
                null, null, null);
    }
}
