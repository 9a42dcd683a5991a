# Example image: build the jar first (mvn -B package -DskipTests), then
#   docker build -t chatleads . && docker run -p 8080:8080 -v chatleads-data:/data chatleads
# SQLite lives in the /data volume by default; set CHATLEADS_DB_URL to a jdbc:postgresql: URL for
# PostgreSQL. `docker stop` sends SIGTERM and waits 10 s by default: give it
# `--stop-timeout 30` (or lower CHATLEADS_SHUTDOWN_TIMEOUT_SECONDS) so a drain is never cut short.
FROM eclipse-temurin:21-jre
RUN useradd --system --home /data chatleads && mkdir -p /data && chown chatleads /data
COPY target/chatleads.jar /opt/chatleads/chatleads.jar
# The class-data sharing archive for this jar and this JRE, which takes about a third off the time to
# the first answer (docs/operations.md, "Start-up"): a short training run of `serve` on a throwaway SQLite file.
RUN java -XX:ArchiveClassesAtExit=/opt/chatleads/chatleads.jsa -cp /opt/chatleads/chatleads.jar \
        io.chatleads.ops.CdsTraining >/tmp/cds-training.log 2>&1 \
    || { cat /tmp/cds-training.log; exit 1; }; rm -f /tmp/cds-training.log
USER chatleads
WORKDIR /data
ENV CHATLEADS_DB_URL=jdbc:sqlite:/data/chatleads.db \
    CHATLEADS_LOG_FORMAT=json \
    PORT=8080
EXPOSE 8080
# exec form: java is PID 1 and receives SIGTERM itself
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/chatleads/chatleads.jsa", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/chatleads/chatleads.jar"]
CMD ["serve"]
# No HEALTHCHECK: the JRE image has no HTTP client; let the orchestrator or load balancer probe
# GET /health/ready (and /health/live for restarts).
