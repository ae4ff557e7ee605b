package br.com.reistech.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real Tomcat distribution (unzipped from Maven Central by the build) run as a separate process
 * with a private CATALINA_BASE built from tomcat-conf/, exactly as an operator would run it.
 * Applications are deployed through context descriptors carrying their configuration as JNDI
 * environment entries; Tomcat's manager application (test-only user) deploys, reloads and
 * undeploys extra contexts and runs its leak finder.
 */
public final class TomcatServer implements AutoCloseable {

    private final Path base;
    private final int port;
    private final Process process;
    private final String managerPassword;
    private final int jmxPort;
    private final String jmxPassword;
    /** The remote JMX user with read-write access (tomcat-conf/jmxremote.access). */
    public static final String JMX_USER = "reistech-admin";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TomcatServer(Path base, int port, Process process, String managerPassword, int jmxPort, String jmxPassword) {
        this.jmxPort = jmxPort;
        this.jmxPassword = jmxPassword;
        this.base = base;
        this.port = port;
        this.process = process;
        this.managerPassword = managerPassword;
    }

    /**
     * Builds a CATALINA_BASE under {@code base}, deploys {@code war} at {@code /} with {@code config},
     * starts Tomcat from {@code home} and waits until {@code /ready} answers 200.
     */
    public static TomcatServer start(Path home, Path base, Path war, Map<String, String> config) throws IOException {
        Path conf = base.resolve("conf");
        Path hostConf = conf.resolve("Catalina/localhost");
        Files.createDirectories(hostConf);
        for (String dir : List.of("logs", "temp", "work", "webapps")) {
            Files.createDirectories(base.resolve(dir));
        }
        for (String file : List.of("web.xml", "catalina.properties", "logging.properties", "context.xml")) {
            Files.copy(home.resolve("conf").resolve(file), conf.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(Path.of(System.getProperty("it.tomcatConf")).resolve("server.xml"), conf.resolve("server.xml"),
                StandardCopyOption.REPLACE_EXISTING);
        String managerPassword = UUID.randomUUID().toString();
        Files.writeString(conf.resolve("tomcat-users.xml"), """
                <tomcat-users xmlns="http://tomcat.apache.org/xml" version="1.0">
                  <role rolename="manager-script"/>
                  <role rolename="manager-jmx"/>
                  <user username="it" password="%s" roles="manager-script,manager-jmx"/>
                </tomcat-users>
                """.formatted(managerPassword));
        Files.writeString(hostConf.resolve("manager.xml"),
                "<Context docBase=\"" + home.resolve("webapps/manager") + "\" privileged=\"true\"/>\n");
        Files.writeString(hostConf.resolve("ROOT.xml"), descriptor(war, config));

        // Remote JMX exactly as docs/JMX.md sets it up: tomcat-conf/setenv.sh, access and password files.
        Files.createDirectories(base.resolve("bin"));
        Path tomcatConf = Path.of(System.getProperty("it.tomcatConf"));
        Files.copy(tomcatConf.resolve("setenv.sh"), base.resolve("bin/setenv.sh"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(tomcatConf.resolve("jmxremote.access"), conf.resolve("jmxremote.access"),
                StandardCopyOption.REPLACE_EXISTING);
        String jmxPassword = UUID.randomUUID().toString();
        Path jmxPasswords = conf.resolve("jmxremote.password");
        Files.writeString(jmxPasswords, JMX_USER + " " + jmxPassword + "\n");
        Files.setPosixFilePermissions(jmxPasswords, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        int jmxPort = freePort();

        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/catalina.sh").toString(), "run");
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> !List.of("PATH", "HOME", "JAVA_HOME", "LANG", "TZ").contains(key));
        env.put("CATALINA_HOME", home.toString());
        env.put("CATALINA_BASE", base.toString());
        env.put("REISTECH_HEAP", "768m");
        env.put("REISTECH_ENV_FILE", base.resolve("conf/reistech.env").toString());
        env.put("REISTECH_JMX_PORT", Integer.toString(jmxPort));
        env.put("REISTECH_JMX_PASSWORD_FILE", jmxPasswords.toString());
        env.put("REISTECH_JMX_ACCESS_FILE", conf.resolve("jmxremote.access").toString());
        env.put("CATALINA_OPTS", String.join(" ",
                "-XX:SoftRefLRUPolicyMSPerMB=0",
                "-Dreistech.http.address=127.0.0.1", "-Dreistech.http.port=" + port,
                "-Dreistech.shutdown.port=-1", "-Dreistech.trustedProxies=127\\.0\\.0\\.1",
                "-Dorg.owasp.esapi.logSpecial.discard=true"));
        builder.redirectErrorStream(true);
        builder.redirectOutput(base.resolve("logs/console.log").toFile());
        Process process = builder.start();
        // If the test JVM dies without closing the environment, Tomcat must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        TomcatServer server = new TomcatServer(base, port, process, managerPassword, jmxPort, jmxPassword);
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Tomcat exited; see " + base.resolve("logs/console.log"));
                        }
                        if (server.console().contains("ReisTech failed to start")) {
                            throw new IllegalStateException("The application failed to start; see "
                                    + base.resolve("logs/console.log"));
                        }
                        return server.get("/ready").statusCode() == 200;
                    });
        } catch (RuntimeException | Error notReady) {
            server.close();
            throw notReady;
        }
        return server;
    }

    /** A context descriptor deploying {@code war} with {@code config} as JNDI environment entries. */
    public static String descriptor(Path war, Map<String, String> config) {
        StringBuilder xml = new StringBuilder("<Context docBase=\"" + war + "\">\n");
        config.forEach((key, value) -> xml.append("  <Environment name=\"").append(key)
                .append("\" value=\"").append(escape(value))
                .append("\" type=\"java.lang.String\" override=\"false\"/>\n"));
        return xml.append("</Context>\n").toString();
    }

    /** A remote JMX connection to this Tomcat as {@code user} with {@code password}, as jconsole makes it. */
    public javax.management.remote.JMXConnector jmxConnect(String user, String password) throws IOException {
        var url = new javax.management.remote.JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
        return javax.management.remote.JMXConnectorFactory.connect(url,
                Map.of(javax.management.remote.JMXConnector.CREDENTIALS, new String[] {user, password}));
    }

    /** A remote JMX connection with the administrator's credentials. */
    public javax.management.remote.JMXConnector jmxConnect() throws IOException {
        return jmxConnect(JMX_USER, jmxPassword);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Calls Tomcat's manager text interface, e.g. {@code deploy?path=/x&config=file:...}; returns its answer. */
    public String manager(String command) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString(("it:" + managerPassword).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri("/manager/text/" + command))
                .header("Authorization", "Basic " + credentials)
                .timeout(Duration.ofMinutes(3))
                .GET().build();
        return send(request).body();
    }

    /** An MBean attribute read through the manager's JMX proxy, as the text after {@code " = "}. */
    public String jmx(String objectName, String attribute) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString(("it:" + managerPassword).getBytes(StandardCharsets.UTF_8));
        String answer = send(HttpRequest.newBuilder(uri("/manager/jmxproxy/?get="
                        + java.net.URLEncoder.encode(objectName, StandardCharsets.UTF_8) + "&att=" + attribute))
                .header("Authorization", "Basic " + credentials).GET().build()).body();
        if (!answer.startsWith("OK")) {
            throw new IllegalStateException("JMX proxy: " + answer);
        }
        return answer.substring(answer.lastIndexOf(" = ") + 3).strip();
    }

    /** Invokes an MBean operation through the manager's JMX proxy; returns the proxy's answer. */
    public String jmxInvoke(String objectName, String operation, String... parameters) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString(("it:" + managerPassword).getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(uri("/manager/jmxproxy/?invoke="
                        + java.net.URLEncoder.encode(objectName, StandardCharsets.UTF_8) + "&op=" + operation
                        + (parameters.length == 0 ? ""
                        : "&ps=" + java.net.URLEncoder.encode(String.join(",", parameters), StandardCharsets.UTF_8))))
                .header("Authorization", "Basic " + credentials).GET().build()).body();
    }

    /** Deploys {@code war} at {@code path} with {@code config}; returns the manager's answer. */
    public String deploy(String path, Path war, Map<String, String> config) throws IOException, InterruptedException {
        Path descriptor = base.resolve("temp").resolve(path.substring(1) + ".xml");
        Files.writeString(descriptor, descriptor(war, config));
        return manager("deploy?path=" + path + "&config=" + descriptor.toUri());
    }

    /** Everything Tomcat and the applications printed so far. */
    public String console() {
        try {
            return Files.readString(base.resolve("logs/console.log"), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    public Path base() {
        return base;
    }

    public int port() {
        return port;
    }

    /** The password of the manager-script user {@code it}. */
    public String managerPassword() {
        return managerPassword;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(60).toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException interrupted) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Convenience for building configurations in order. */
    public static Map<String, String> config(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
