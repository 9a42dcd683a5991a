# The image, built from source: docker build -t chatleads . (or `docker compose up --build`, compose.yaml)
#   docker run -p 8080:8080 -v chatleads-data:/data chatleads
# SQLite lives in the /data volume by default; set CHATLEADS_DB_URL to a jdbc:postgresql: URL for
# PostgreSQL. Other commands run the same way: docker run --rm -v chatleads-data:/data chatleads owner create --email E
# `docker stop` sends SIGTERM and waits 10 s by default: give it `--stop-timeout 30` (or lower
# CHATLEADS_SHUTDOWN_TIMEOUT_SECONDS) so a drain is never cut short.
# Not built here: the machine this was written on has no Docker engine; a test (ops.ContainerFilesTest)
# checks that the start command below is the README's production command.

# ---- build: the jar, from source, with the Maven and JDK of this stage --------------------------
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
# The dependencies first, in their own layer: a change to the code does not download them again.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
# Tests need a PostgreSQL (mvn verify, outside the image). The CDS archive is made in the runtime
# stage below: an archive is only good for the JVM that made it.
RUN mvn -B -q package -DskipTests -Dchatleads.cds.skip=true

# ---- runtime: a JRE, the jar and its class-data sharing archive, as a non-root user --------------
FROM eclipse-temurin:21-jre
RUN useradd --system --home /data chatleads && mkdir -p /data && chown chatleads /data
# The jar at target/ under the working directory, so that the start command is the README's, word for word.
WORKDIR /opt/chatleads
COPY --from=build /src/target/chatleads.jar target/chatleads.jar
# The class-data sharing archive for this jar and this JRE, which takes about a third off the time to
# the first answer (docs/operations.md, "Start-up"): a short training run of `serve --demo` on a
# throwaway SQLite file, with the jar named as the start command names it.
RUN java -XX:ArchiveClassesAtExit=target/chatleads.jsa -cp target/chatleads.jar io.chatleads.ops.CdsTraining \
        >/tmp/cds-training.log 2>&1 \
    || { cat /tmp/cds-training.log; exit 1; }; rm -f /tmp/cds-training.log
USER chatleads
ENV CHATLEADS_DB_URL=jdbc:sqlite:/data/chatleads.db \
    CHATLEADS_LOG_FORMAT=json \
    PORT=8080
VOLUME /data
EXPOSE 8080
# exec form: java is PID 1 and receives SIGTERM itself. ENTRYPOINT + CMD = the README's production command.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=target/chatleads.jsa", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-jar", "target/chatleads.jar"]
CMD ["serve"]
# No HEALTHCHECK in the image: the JRE image has no HTTP client. compose.yaml probes GET /health/ready
# with bash's /dev/tcp; elsewhere let the orchestrator or load balancer probe it (and /health/live for restarts).
