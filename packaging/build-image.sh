#!/usr/bin/env bash
# Builds the GoldFinch Reader app image with jpackage (called by the `package` Maven profile of this module).
#   build-image.sh APP_TARGET DEST ICON
# APP_TARGET holds goldfinch-app.jar and lib/ (the app module's build output); the image goes to DEST/GoldFinchReader,
# a self-contained folder with its own Java runtime: DEST/GoldFinchReader/bin/GoldFinchReader opens the window.
set -euo pipefail
app_target=$1 dest=$2 icon=$3
java_home=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
jpackage="$java_home/bin/jpackage"
[[ -x $jpackage ]] || { echo "build-image: no jpackage in $java_home (set JAVA_HOME to a JDK 25)" >&2; exit 1; }
[[ -f $app_target/goldfinch-app.jar && -d $app_target/lib ]] || { echo "build-image: build the app first (./mvnw -P package package)" >&2; exit 1; }
input="$dest/../jpackage-input"
rm -rf "$dest" "$input"
mkdir -p "$input/lib" "$dest"
cp "$app_target/goldfinch-app.jar" "$input/"
cp "$app_target"/lib/*.jar "$input/lib/"
# The runtime: what the app, JavaFX (on the class path), SQLite, PDFBox and Tika use, plus the Vector API (and
# jdk.management, for `bench footprint`'s collector notifications). The heap settings are the launcher's (see there).
modules=java.base,java.desktop,java.logging,java.management,jdk.management,java.naming,java.net.http,java.scripting,java.sql,java.xml,jdk.charsets,jdk.crypto.ec,jdk.unsupported,jdk.zipfs,jdk.incubator.vector
"$jpackage" --type app-image --name GoldFinchReader --app-version 0.1.0 --vendor "GoldFinch Reader" \
  --description "Read a long document once with a GoldFinch model, then ask it anything." \
  --input "$input" --main-jar goldfinch-app.jar --main-class dev.goldfinch.app.Main --arguments app \
  --add-modules "$modules" --jlink-options "--strip-debug --no-man-pages --no-header-files" \
  --java-options "--add-modules=jdk.incubator.vector" --java-options "--enable-native-access=ALL-UNNAMED" \
  --java-options "-XX:+UseG1GC" --java-options "-XX:GCTimeRatio=4" --java-options "-XX:G1PeriodicGCInterval=15000" \
  --java-options "-XX:MinHeapFreeRatio=10" --java-options "-XX:MaxHeapFreeRatio=30" --java-options "-XX:MaxRAMPercentage=75" --java-options "-Xss8m" \
  --icon "$icon" --dest "$dest"
echo "app image: $dest/GoldFinchReader (start: $dest/GoldFinchReader/bin/GoldFinchReader)"
