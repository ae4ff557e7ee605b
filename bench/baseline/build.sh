#!/usr/bin/env bash
# Builds the baseline WAR (one servlet answering a fixed string) against Tomcat's servlet API:
# bench/baseline/build.sh CATALINA_HOME OUT.war
set -euo pipefail
home=$1; out=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/WEB-INF/classes"
javac --release 17 -nowarn -cp "$home/lib/servlet-api.jar" -d "$work/WEB-INF/classes" "$(dirname "$0")/BaselineServlet.java"
(cd "$work" && jar --create --file "$out.tmp" WEB-INF) && mv "$out.tmp" "$out"
