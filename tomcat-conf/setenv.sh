#!/bin/sh
# ReisTech: Tomcat's bin/setenv.sh (copy it to $CATALINA_BASE/bin/, or append it to yours). Sourced
# by catalina.sh; everything can be overridden from the environment (e.g. a systemd unit).
#
#   REISTECH_ENV_FILE   the application's configuration and secrets as KEY=value lines
#                       (default /etc/reistech/reistech.env, chmod 600, owned by Tomcat's user):
#                       exported as environment variables, never as -D options (those show in ps
#                       and JMX). Keys: docs/configuration.md.
#   REISTECH_HEAP       -Xms and -Xmx (default 512m: a node holds the mixed workload in it)
#   REISTECH_GC         the collector (default -XX:+UseParallelGC: 11% more cached reads per second
#                       than G1 and a lower p99, for a full collection of about 0.1 s when the old
#                       generation fills; -XX:+UseG1GC trades the throughput for no such pause)
#   REISTECH_HTTP_ADDRESS, REISTECH_HTTP_PORT   the connector (default 127.0.0.1:8080, behind Nginx)
#   REISTECH_TRUSTED_PROXIES   regular expression of the reverse proxies' addresses (default 127\.0\.0\.1)
#   REISTECH_SHUTDOWN_PORT     Tomcat's shutdown port (default -1: disabled; stop with a signal)
#
# Remote JMX for the admins' consoles (docs/JMX.md), only when REISTECH_JMX_PORT is set, and never
# without authentication:
#   REISTECH_JMX_PORT            port of the JMX registry and RMI server (one port, firewall-friendly)
#   REISTECH_JMX_HOST            address to bind (default 127.0.0.1: reach it through an SSH tunnel)
#   REISTECH_JMX_PASSWORD_FILE   "user password" lines; owned by Tomcat's user, chmod 600 (the JVM
#                                refuses to start otherwise)
#   REISTECH_JMX_ACCESS_FILE     "user readonly|readwrite" lines (tomcat-conf/jmxremote.access)
#   REISTECH_JMX_SSL             true to require TLS (then also give javax.net.ssl.keyStore and
#                                javax.net.ssl.keyStorePassword in CATALINA_OPTS)

env_file="${REISTECH_ENV_FILE:-/etc/reistech/reistech.env}"
if [ -r "$env_file" ]; then
  # KEY=value lines taken literally (a secret may hold $ or backticks); surrounding quotes dropped.
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    key=${line%%=*}
    value=${line#*=}
    case "$key" in ''|[0-9]*|*[!A-Za-z0-9_]*) continue ;; esac
    case "$value" in
      \"*\") value=${value#\"}; value=${value%\"} ;;
      \'*\') value=${value#\'}; value=${value%\'} ;;
    esac
    export "$key=$value"
  done <"$env_file"
fi

heap="${REISTECH_HEAP:-512m}"
# A collector already chosen in CATALINA_OPTS or JAVA_OPTS stands (two would stop the JVM from starting).
case " $CATALINA_OPTS $JAVA_OPTS " in
  *-XX:+UseG1GC*|*-XX:+UseParallelGC*|*-XX:+UseSerialGC*|*-XX:+UseZGC*|*-XX:+UseShenandoahGC*|*-XX:+UseEpsilonGC*) gc="" ;;
  *) gc="${REISTECH_GC:--XX:+UseParallelGC}" ;;
esac
CATALINA_OPTS="$CATALINA_OPTS \
 -Xms$heap -Xmx$heap $gc \
 -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=${CATALINA_BASE:-.}/temp \
 -XX:+ExitOnOutOfMemoryError \
 -Dfile.encoding=UTF-8 -Dsun.jnu.encoding=UTF-8 -Duser.timezone=UTC -Djava.security.egd=file:/dev/urandom \
 -Dorg.owasp.esapi.logSpecial.discard=true -Dio.netty.leakDetection.level=disabled"
case "$CATALINA_OPTS" in
  *reistech.http.port*) ;;
  *) CATALINA_OPTS="$CATALINA_OPTS \
 -Dreistech.http.address=${REISTECH_HTTP_ADDRESS:-127.0.0.1} -Dreistech.http.port=${REISTECH_HTTP_PORT:-8080} \
 -Dreistech.shutdown.port=${REISTECH_SHUTDOWN_PORT:--1} -Dreistech.trustedProxies=${REISTECH_TRUSTED_PROXIES:-127\\.0\\.0\\.1}" ;;
esac

if [ -n "${REISTECH_JMX_PORT:-}" ]; then
  if [ ! -r "${REISTECH_JMX_PASSWORD_FILE:-}" ] || [ ! -r "${REISTECH_JMX_ACCESS_FILE:-}" ]; then
    echo "setenv.sh: REISTECH_JMX_PORT is set but REISTECH_JMX_PASSWORD_FILE or REISTECH_JMX_ACCESS_FILE is missing: refusing to open JMX without authentication" >&2
    exit 1
  fi
  jmx_host="${REISTECH_JMX_HOST:-127.0.0.1}"
  CATALINA_OPTS="$CATALINA_OPTS \
 -Dcom.sun.management.jmxremote.port=$REISTECH_JMX_PORT \
 -Dcom.sun.management.jmxremote.rmi.port=$REISTECH_JMX_PORT \
 -Dcom.sun.management.jmxremote.host=$jmx_host \
 -Djava.rmi.server.hostname=$jmx_host \
 -Dcom.sun.management.jmxremote.authenticate=true \
 -Dcom.sun.management.jmxremote.password.file=$REISTECH_JMX_PASSWORD_FILE \
 -Dcom.sun.management.jmxremote.access.file=$REISTECH_JMX_ACCESS_FILE \
 -Dcom.sun.management.jmxremote.ssl=${REISTECH_JMX_SSL:-false} \
 -Dcom.sun.management.jmxremote.registry.ssl=${REISTECH_JMX_SSL:-false}"
fi
export CATALINA_OPTS
