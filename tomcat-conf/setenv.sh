#!/bin/sh
# ReisTech: Tomcat's bin/setenv.sh (or append to yours). Sourced by catalina.sh.
#
# Remote JMX for the admins' consoles (jconsole, VisualVM; docs/JMX.md), only when
# REISTECH_JMX_PORT is set, and never without authentication:
#   REISTECH_JMX_PORT            port of the JMX registry and RMI server (one port, firewall-friendly)
#   REISTECH_JMX_HOST            address to bind (default 127.0.0.1: reach it through an SSH tunnel)
#   REISTECH_JMX_PASSWORD_FILE   "user password" lines; owned by Tomcat's user, chmod 600 (the JVM
#                                refuses to start otherwise)
#   REISTECH_JMX_ACCESS_FILE     "user readonly|readwrite" lines (tomcat-conf/jmxremote.access)
#   REISTECH_JMX_SSL             true to require TLS (then also give javax.net.ssl.keyStore and
#                                javax.net.ssl.keyStorePassword in CATALINA_OPTS)

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
  export CATALINA_OPTS
fi
