package io.iotgrid.jobs.impl;

import io.iotgrid.core.Measure;
import io.iotgrid.core.MeasureStats;
import io.iotgrid.core.Statistic;
import io.iotgrid.core.WindowStats;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sink state of {@code StatsGaugesJob}: one MBean per key in the platform MBean server, kept equal to the latest
 * list of owned entries.
 */
public final class StatsGauges {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.\\-]+");

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final String namePrefix;
    private final Map<String, Gauge> byId = new HashMap<>();

    public StatsGauges(String domain, String instanceName, String mapName) {
        // `type` first: the Prometheus agent names a metric after the domain, the first key's value and the
        // attribute (com_hazelcast_iotgrid_Metrics_temperatureAvg) and turns the other keys into labels.
        this.namePrefix = domain + ":type=Metrics,instance=" + value(instanceName) + ",map=" + value(mapName) + ",id=";
    }

    public void update(List<WindowStats> owned) throws JMException {
        Set<String> seen = new HashSet<>();
        for (WindowStats stats : owned) {
            seen.add(stats.id());
            Gauge gauge = byId.get(stats.id());
            if (gauge == null) {
                gauge = new Gauge(new ObjectName(namePrefix + value(stats.id())), stats);
                register(gauge);
                byId.put(stats.id(), gauge);
            } else {
                gauge.stats = stats;
            }
        }
        for (var it = byId.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!seen.contains(entry.getKey())) {
                unregister(entry.getValue().name);
                it.remove();
            }
        }
    }

    public void close() throws JMException {
        for (Gauge gauge : byId.values()) {
            unregister(gauge.name);
        }
        byId.clear();
    }

    private void register(Gauge gauge) throws JMException {
        try {
            server.registerMBean(gauge, gauge.name);
        } catch (InstanceAlreadyExistsException e) {
            // Left by an execution of the job that had not been cleaned up yet when this one started.
            unregister(gauge.name);
            server.registerMBean(gauge, gauge.name);
        }
    }

    private void unregister(ObjectName name) throws JMException {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // Already gone: nothing to clean up.
        }
    }

    private static String value(String s) {
        return PLAIN.matcher(s).matches() ? s : ObjectName.quote(s);
    }

    /** The latest window of one key, as read-only numeric attributes. */
    private static final class Gauge implements DynamicMBean {

        final ObjectName name;
        volatile WindowStats stats;

        Gauge(ObjectName name, WindowStats stats) {
            this.name = name;
            this.stats = stats;
        }

        private Map<String, Object> values() {
            WindowStats s = stats;
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("count", s.count());
            values.put("windowStart", s.windowStart());
            values.put("windowEnd", s.windowEnd());
            values.put("early", s.early());
            for (Measure m : Measure.values()) {
                MeasureStats ms = s.stats(m);
                if (ms.count() > 0) {
                    for (Statistic st : Statistic.values()) {
                        values.put(st.component(m), ms.value(st));
                    }
                }
            }
            return values;
        }

        @Override
        public Object getAttribute(String attribute) throws AttributeNotFoundException {
            Object value = values().get(attribute);
            if (value == null) {
                throw new AttributeNotFoundException(attribute + " is not an attribute of " + name + " now");
            }
            return value;
        }

        @Override
        public AttributeList getAttributes(String[] attributes) {
            Map<String, Object> values = values();
            AttributeList list = new AttributeList();
            for (String a : attributes) {
                if (values.containsKey(a)) {
                    list.add(new Attribute(a, values.get(a)));
                }
            }
            return list;
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            List<MBeanAttributeInfo> attributes = new ArrayList<>();
            values().forEach((key, value) -> attributes.add(new MBeanAttributeInfo(key, value.getClass().getName(),
                    key, true, false, false)));
            return new MBeanInfo(Gauge.class.getName(), "latest window of " + name.getKeyProperty("id"),
                    attributes.toArray(MBeanAttributeInfo[]::new), null, null, null);
        }

        @Override
        public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
            throw new AttributeNotFoundException(attribute.getName() + " of " + name + " is read-only");
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            return new AttributeList();
        }

        @Override
        public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
            throw new ReflectionException(new NoSuchMethodException(actionName),
                    name + " is a gauge without operations");
        }
    }
}
