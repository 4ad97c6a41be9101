package io.iotgrid.console.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.jet.Job;
import com.hazelcast.jet.JobAlreadyExistsException;
import com.hazelcast.jet.core.JobStatus;
import com.hazelcast.map.IMap;
import io.iotgrid.core.settings.SettingsReader;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Connectors as Jet jobs: each connector's configuration and target state live in an IMap of the cluster, its job
 * is the job of the same name, so a console that restarts finds both again. Pause suspends the job, resume resumes
 * it (or submits it again after a stop), restart restarts it, stop and delete cancel it.
 */
public final class Connectors {

    /** What the connector should be doing, as Kafka Connect's target states. */
    enum Target { STARTED, PAUSED, STOPPED }

    /** A connector's stored configuration (worker keys included, {@code name} too) and its target state. */
    record Stored(Map<String, String> config, Target target) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long stopping a job may take before the call fails with 500. */
    private static final long STOP_WAIT_SECONDS = 60;

    private final HazelcastInstance hz;
    private final IMap<String, String> configs;
    private final String workerId;

    public Connectors(HazelcastInstance hz, String mapName, String workerId) {
        this.hz = hz;
        this.configs = hz.getMap(mapName);
        this.workerId = workerId;
    }

    /** The connectors' names, sorted. */
    public List<String> names() {
        return List.copyOf(new TreeSet<>(configs.keySet()));
    }

    /** The connector's stored configuration, or 404. */
    Stored stored(String name) {
        String json = configs.get(name);
        if (json == null) {
            throw new RestError(404, "Connector " + name + " not found");
        }
        return decode(json);
    }

    /** Creates and starts a connector; 409 when one of that name exists. */
    public Map<String, Object> create(String name, Map<String, String> config) {
        Map<String, String> full = withName(name, config);
        ConnectorPlugin plugin = plugin(full);
        Object parameters = read(plugin, name, full);
        if (configs.putIfAbsent(name, encode(new Stored(full, Target.STARTED))) != null) {
            throw new RestError(409, "Connector " + name + " already exists");
        }
        try {
            submit(plugin, parameters, name);
        } catch (RuntimeException e) {
            configs.remove(name);
            throw e;
        }
        return info(name, full);
    }

    /**
     * Replaces a connector's configuration and runs its job again with it, or creates the connector; tells whether it
     * was created.
     */
    public boolean update(String name, Map<String, String> config) {
        Map<String, String> full = withName(name, config);
        ConnectorPlugin plugin = plugin(full);
        Object parameters = read(plugin, name, full);
        String old = configs.get(name);
        if (old == null) {
            create(name, config);
            return true;
        }
        stopJob(name);
        configs.put(name, encode(new Stored(full, Target.STARTED)));
        submit(plugin, parameters, name);
        return false;
    }

    public void pause(String name) {
        Stored s = stored(name);
        if (s.target() == Target.STOPPED) {
            throw new RestError(409, "Connector " + name + " is stopped: resume it, then pause it");
        }
        Job job = activeJob(name);
        if (job != null && job.getStatus() != JobStatus.SUSPENDED) {
            try {
                job.suspend();
            } catch (IllegalStateException e) {
                throw new RestError(409, "Connector " + name + " cannot be paused now: " + e.getMessage());
            }
        }
        configs.put(name, encode(new Stored(s.config(), Target.PAUSED)));
    }

    public void resume(String name) {
        Stored s = stored(name);
        Job job = activeJob(name);
        if (job == null) {
            ConnectorPlugin plugin = plugin(s.config());
            submit(plugin, read(plugin, name, s.config()), name);
        } else if (job.getStatus() == JobStatus.SUSPENDED) {
            job.resume();
        }
        configs.put(name, encode(new Stored(s.config(), Target.STARTED)));
    }

    public void stop(String name) {
        Stored s = stored(name);
        stopJob(name);
        configs.put(name, encode(new Stored(s.config(), Target.STOPPED)));
    }

    public void restart(String name) {
        Stored s = stored(name);
        if (s.target() == Target.STOPPED) {
            throw new RestError(409, "Connector " + name + " is stopped: resume it instead");
        }
        Job job = activeJob(name);
        if (job == null) {
            ConnectorPlugin plugin = plugin(s.config());
            submit(plugin, read(plugin, name, s.config()), name);
            return;
        }
        if (job.getStatus() == JobStatus.SUSPENDED) {
            throw new RestError(409, "Connector " + name + " is paused: resume it instead");
        }
        try {
            job.restart();
        } catch (IllegalStateException e) {
            throw new RestError(409, "Connector " + name + " cannot be restarted now: " + e.getMessage());
        }
    }

    public void delete(String name) {
        stored(name);
        stopJob(name);
        configs.remove(name);
    }

    /** Kafka Connect's connector info: name, configuration, tasks and type. */
    public Map<String, Object> info(String name) {
        return info(name, stored(name).config());
    }

    private Map<String, Object> info(String name, Map<String, String> config) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("config", config);
        info.put("tasks", List.of(Map.of("connector", name, "task", 0)));
        ConnectorPlugin plugin = ConnectorPlugin.find(config.get("connector.class"));
        info.put("type", plugin == null ? "unknown" : plugin.type());
        return info;
    }

    /** The connector's configuration as stored. */
    public Map<String, String> config(String name) {
        return stored(name).config();
    }

    /** Kafka Connect's task list: one task per connector, the job. */
    public List<Map<String, Object>> tasks(String name) {
        Map<String, String> config = stored(name).config();
        return List.of(Map.of("id", Map.of("connector", name, "task", 0), "config", config));
    }

    /**
     * Kafka Connect's status: the connector's and its one task's state, from the job's status ({@code RUNNING},
     * {@code PAUSED} for a suspended job, {@code STOPPED}, {@code UNASSIGNED} while it starts, {@code FAILED} with
     * the reason as {@code trace}).
     */
    public Map<String, Object> status(String name) {
        Stored s = stored(name);
        Map<String, Object> state = state(name, s.target());
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("id", 0);
        task.putAll(state);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("name", name);
        status.put("connector", state);
        status.put("tasks", List.of(task));
        ConnectorPlugin plugin = ConnectorPlugin.find(s.config().get("connector.class"));
        status.put("type", plugin == null ? "unknown" : plugin.type());
        return status;
    }

    private Map<String, Object> state(String name, Target target) {
        Map<String, Object> state = new LinkedHashMap<>();
        String trace = null;
        String value;
        Job job = target == Target.STOPPED ? null : hz.getJet().getJob(name);
        if (target == Target.STOPPED) {
            value = "STOPPED";
        } else if (job == null) {
            value = "UNASSIGNED";
        } else {
            JobStatus status = job.getStatus();
            switch (status) {
                case RUNNING, COMPLETING -> value = "RUNNING";
                case SUSPENDED, SUSPENDED_EXPORTING_SNAPSHOT -> value = "PAUSED";
                case FAILED -> {
                    value = "FAILED";
                    trace = failure(job);
                }
                case COMPLETED -> {
                    value = "FAILED";
                    trace = "the job completed: a connector's job streams until it is stopped";
                }
                default -> value = "UNASSIGNED";
            }
        }
        state.put("state", value);
        state.put("worker_id", workerId);
        if (trace != null) {
            state.put("trace", trace);
        }
        return state;
    }

    private static String failure(Job job) {
        CompletableFuture<Void> future = job.getFuture();
        try {
            future.getNow(null);
            return "the job failed";
        } catch (CancellationException e) {
            return "the job was cancelled outside the console";
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return String.valueOf(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        }
    }

    private static Map<String, String> withName(String name, Map<String, String> config) {
        if (name == null || name.isBlank() || name.contains("/")) {
            throw new RestError(400, "a connector's name must be non-blank and without '/', was '" + name + "'");
        }
        String given = config.get("name");
        if (given != null && !given.equals(name)) {
            throw new RestError(400, "Connector name configuration (" + given + ") doesn't match connector name "
                    + "in the URL (" + name + ")");
        }
        Map<String, String> full = new LinkedHashMap<>(config);
        full.put("name", name);
        return full;
    }

    private static ConnectorPlugin plugin(Map<String, String> config) {
        String className = config.get("connector.class");
        if (className == null || className.isBlank()) {
            throw new RestError(400, "connector.class is required; the classes are " + ConnectorPlugin.classNames());
        }
        ConnectorPlugin plugin = ConnectorPlugin.find(className);
        if (plugin == null) {
            throw new RestError(400, "Failed to find any class that implements Connector and which name matches "
                    + className + "; the classes are " + ConnectorPlugin.classNames());
        }
        return plugin;
    }

    /** The job's parameters from the connector's keys, the job named after the connector. */
    private static Object read(ConnectorPlugin plugin, String name, Map<String, String> config) {
        String jobName = config.get(ConnectorPlugin.JOB_NAME);
        if (jobName != null && !jobName.equals(name)) {
            throw new RestError(400, ConnectorPlugin.JOB_NAME + " must be the connector's name (" + name
                    + "), was '" + jobName + "': a connector is the job of its name");
        }
        Properties keys = ConnectorPlugin.connectorKeys(config).asProperties();
        keys.setProperty(ConnectorPlugin.JOB_NAME, name);
        try {
            return plugin.submitter().read(SettingsReader.of(keys));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new RestError(400, e.getMessage());
        }
    }

    private void submit(ConnectorPlugin plugin, Object parameters, String name) {
        try {
            plugin.submitter().submit(hz, parameters);
        } catch (JobAlreadyExistsException e) {
            throw new RestError(409, "a job named " + name + " is already running in the cluster: cancel it or "
                    + "name the connector otherwise");
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new RestError(400, "the job of connector " + name + " cannot start: " + e.getMessage());
        }
    }

    /** The connector's job, if one is running or suspended. */
    private Job activeJob(String name) {
        Job job = hz.getJet().getJob(name);
        return job == null || job.getStatus().isTerminal() ? null : job;
    }

    /** Cancels the connector's job, if any, and waits until it has ended. */
    private void stopJob(String name) {
        Job job = activeJob(name);
        if (job == null) {
            return;
        }
        try {
            job.cancel();
        } catch (IllegalStateException alreadyEnded) {
            return;
        }
        try {
            job.getFuture().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (CancellationException | ExecutionException expected) {
            // a cancelled job ends so
        } catch (TimeoutException e) {
            throw new RestError(500, "the job of connector " + name + " did not end within " + STOP_WAIT_SECONDS
                    + " s of its cancellation");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestError(500, "interrupted while stopping the job of connector " + name);
        }
    }

    private static String encode(Stored s) {
        try {
            return JSON.writeValueAsString(Map.of("config", s.config(), "target", s.target().name()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Stored decode(String json) {
        try {
            Map<String, Object> m = JSON.readValue(json, Map.class);
            return new Stored(new LinkedHashMap<>((Map<String, String>) m.get("config")),
                    Target.valueOf((String) m.get("target")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored connector configuration is not JSON: " + e.getOriginalMessage());
        }
    }
}
