{{/* Names and labels */}}
{{- define "swarmwatch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "swarmwatch.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* A component's object name: fullname-component (component = probe, classifier, dashboard). */}}
{{- define "swarmwatch.componentName" -}}
{{- printf "%s-%s" (include "swarmwatch.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "swarmwatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "swarmwatch.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "swarmwatch.labels" -}}
{{ include "swarmwatch.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: swarmwatch
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of an object that belongs to no component (the Kafka ConfigMap, chart-made Secrets). */}}
{{- define "swarmwatch.sharedLabels" -}}
app.kubernetes.io/name: {{ include "swarmwatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: swarmwatch
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* image: .root, .image (repository, tag) */}}
{{- define "swarmwatch.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/*
Checks across values that values.schema.json cannot express (JSON Schema compares no two
values); every message names the value to change. Included by every template, so that a
release with any component enabled is checked.
*/}}
{{- define "swarmwatch.validate" -}}
{{- $v := .Values -}}
{{- $p := int $v.kafka.partitions -}}
{{- if $v.classifier.enabled -}}
{{- if gt (int $v.classifier.replicas) $p -}}
{{- fail (printf "classifier.replicas (%d) exceeds kafka.partitions (%d): a consumer group gives each partition to one classifier, the rest would sit idle; lower the replicas or give the topics more partitions (docs/operations.md, \"Sizing partitions\")" (int $v.classifier.replicas) $p) -}}
{{- end -}}
{{- if and $v.classifier.autoscaling.enabled (gt (int $v.classifier.autoscaling.maxReplicas) $p) -}}
{{- fail (printf "classifier.autoscaling.maxReplicas (%d) exceeds kafka.partitions (%d): classifiers beyond the partition count get no partition" (int $v.classifier.autoscaling.maxReplicas) $p) -}}
{{- end -}}
{{- if and $v.classifier.autoscaling.enabled (gt (int $v.classifier.autoscaling.minReplicas) (int $v.classifier.autoscaling.maxReplicas)) -}}
{{- fail "classifier.autoscaling.minReplicas exceeds classifier.autoscaling.maxReplicas" -}}
{{- end -}}
{{- if and $v.classifier.lists.existingClaim $v.classifier.lists.configMap -}}
{{- fail "classifier.lists: set either existingClaim or configMap, not both" -}}
{{- end -}}
{{- if not (or $v.classifier.lists.existingClaim $v.classifier.lists.configMap) -}}
{{- fail "classifier.lists: set existingClaim (a PersistentVolumeClaim) or configMap holding the rights-holder lists" -}}
{{- end -}}
{{- if and (not $v.classifier.trustedKeys.existingSecret) (not $v.classifier.unsignedLists) -}}
{{- fail "classifier.trustedKeys.existingSecret is empty: name the Secret holding the Ed25519 keys that may sign lists (or, in a lab only, set classifier.unsignedLists=true)" -}}
{{- end -}}
{{- range $v.classifier.extraArgs -}}
{{- if or (eq . "--group") (hasPrefix "--group=" .) -}}
{{- fail "classifier.extraArgs: --group is set by classifier.consumerGroup, which the dashboard's consumer lag reads too; set the group there" -}}
{{- end -}}
{{- end -}}
{{- include "swarmwatch.validateKafkaCredentials" (dict "v" $v "component" "classifier") -}}
{{- include "swarmwatch.validateEsCredentials" (dict "v" $v "component" "classifier") -}}
{{- end -}}
{{- if $v.probe.enabled -}}
{{- include "swarmwatch.validateKafkaCredentials" (dict "v" $v "component" "probe") -}}
{{- end -}}
{{- if $v.dashboard.enabled -}}
{{- include "swarmwatch.validateEsCredentials" (dict "v" $v "component" "dashboard") -}}
{{- end -}}
{{- if include "swarmwatch.dashboardKafkaLag" . -}}
{{- include "swarmwatch.validateKafkaCredentials" (dict "v" $v "component" "dashboard" "why" " (the dashboard's own Kafka user, Describe on the classifier's group and topics: docs/operations.md), or set dashboard.kafkaLag.enabled=false to show no consumer lag") -}}
{{- end -}}
{{- end -}}

{{/* "true" when the dashboard reads the classifier's Kafka consumer lag, else empty. */}}
{{- define "swarmwatch.dashboardKafkaLag" -}}
{{- if and .Values.dashboard.enabled .Values.dashboard.kafkaLag.enabled -}}true{{- end -}}
{{- end -}}

{{/*
The classifier's consumer group: its --group, and the group whose lag the dashboard reads. One
value (classifier.consumerGroup), so the two cannot drift.
*/}}
{{- define "swarmwatch.classifierGroup" -}}
{{- .Values.classifier.consumerGroup -}}
{{- end -}}

{{/* Where every Kafka client of the chart finds the shared client properties (--kafka-config, swarmwatch.kafka.config-file). */}}
{{- define "swarmwatch.kafkaConfigFile" -}}
/etc/swarmwatch/kafka/kafka.properties
{{- end -}}

{{- define "swarmwatch.validateKafkaCredentials" -}}
{{- if .v.kafka.sasl.enabled -}}
{{- $c := index .v.kafka.sasl .component -}}
{{- if and $c.existingSecret (or $c.username $c.password) -}}
{{- fail (printf "kafka.sasl.%s: set either existingSecret or username and password, not both" .component) -}}
{{- end -}}
{{- if and (not $c.existingSecret) (not (and $c.username $c.password)) -}}
{{- fail (printf "kafka.sasl.%s: SASL is enabled but no credentials are given: set existingSecret (a Secret with keys username and password) or username and password%s" .component (default "" .why)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "swarmwatch.validateEsCredentials" -}}
{{- $t := .v.elasticsearch.auth.type -}}
{{- $c := index .v.elasticsearch.auth .component -}}
{{- if ne $t "none" -}}
{{- $inline := or $c.username $c.password $c.apiKey -}}
{{- if and $c.existingSecret $inline -}}
{{- fail (printf "elasticsearch.auth.%s: set either existingSecret or the credentials themselves, not both" .component) -}}
{{- end -}}
{{- if not $c.existingSecret -}}
{{- if and (eq $t "basic") (not (and $c.username $c.password)) -}}
{{- fail (printf "elasticsearch.auth.%s: auth.type is basic: set existingSecret (keys username and password) or username and password" .component) -}}
{{- end -}}
{{- if and (eq $t "apiKey") (not $c.apiKey) -}}
{{- fail (printf "elasticsearch.auth.%s: auth.type is apiKey: set existingSecret (key api-key) or apiKey" .component) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding a component's Kafka SASL credentials: the operator's, or the chart's. */}}
{{- define "swarmwatch.kafkaSaslSecret" -}}
{{- $c := index .root.Values.kafka.sasl .component -}}
{{- default (printf "%s-kafka-%s" (include "swarmwatch.fullname" .root) .component) $c.existingSecret -}}
{{- end -}}

{{/* The Secret holding a component's Elasticsearch credentials: the operator's, or the chart's. */}}
{{- define "swarmwatch.esSecret" -}}
{{- $c := index .root.Values.elasticsearch.auth .component -}}
{{- default (printf "%s-es-%s" (include "swarmwatch.fullname" .root) .component) $c.existingSecret -}}
{{- end -}}

{{- define "swarmwatch.kafkaSecurityProtocol" -}}
{{- $k := .Values.kafka -}}
{{- if and $k.tls.enabled $k.sasl.enabled -}}SASL_SSL
{{- else if $k.tls.enabled -}}SSL
{{- else if $k.sasl.enabled -}}SASL_PLAINTEXT
{{- else -}}PLAINTEXT
{{- end -}}
{{- end -}}

{{/*
Kafka volumes and mounts shared by the probe, the classifier and the dashboard (for the
consumer lag), .component naming whose SASL user is mounted: the client properties
(ConfigMap), the TLS material and the SASL credentials (Secrets, read at run time by Kafka's
DirectoryConfigProvider, so that no credential is ever written into a ConfigMap).
*/}}
{{- define "swarmwatch.kafkaVolumes" -}}
- name: kafka-config
  configMap:
    name: {{ include "swarmwatch.fullname" .root }}-kafka
{{- if and .root.Values.kafka.tls.enabled .root.Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  secret:
    secretName: {{ .root.Values.kafka.tls.caSecret.name }}
    defaultMode: 0444
    items:
      - key: {{ .root.Values.kafka.tls.caSecret.key }}
        path: ca.pem
{{- end }}
{{- if and .root.Values.kafka.tls.enabled .root.Values.kafka.tls.keystoreSecret.name }}
- name: kafka-keystore
  secret:
    secretName: {{ .root.Values.kafka.tls.keystoreSecret.name }}
    defaultMode: 0440
    items:
      - key: {{ .root.Values.kafka.tls.keystoreSecret.key }}
        path: keystore.pem
{{- end }}
{{- if .root.Values.kafka.sasl.enabled }}
- name: kafka-sasl
  secret:
    secretName: {{ include "swarmwatch.kafkaSaslSecret" . }}
    defaultMode: 0440
    items:
      - key: username
        path: username
      - key: password
        path: password
{{- end }}
{{- end -}}

{{- define "swarmwatch.kafkaMounts" -}}
- name: kafka-config
  mountPath: {{ include "swarmwatch.kafkaConfigFile" .root | dir }}
  readOnly: true
{{- if and .root.Values.kafka.tls.enabled .root.Values.kafka.tls.caSecret.name }}
- name: kafka-ca
  mountPath: /etc/swarmwatch/kafka-tls/ca
  readOnly: true
{{- end }}
{{- if and .root.Values.kafka.tls.enabled .root.Values.kafka.tls.keystoreSecret.name }}
- name: kafka-keystore
  mountPath: /etc/swarmwatch/kafka-tls/keystore
  readOnly: true
{{- end }}
{{- if .root.Values.kafka.sasl.enabled }}
- name: kafka-sasl
  mountPath: /etc/swarmwatch/kafka-sasl
  readOnly: true
{{- end }}
{{- end -}}

{{- define "swarmwatch.kafkaEnv" -}}
- name: SWARMWATCH_KAFKA
  value: {{ .root.Values.kafka.bootstrapServers | quote }}
- name: SWARMWATCH_KAFKA_CONFIG
  value: {{ include "swarmwatch.kafkaConfigFile" .root }}
{{- end -}}

{{/* The restricted pod and container security contexts of the classifier and the dashboard. */}}
{{- define "swarmwatch.restrictedPodSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "swarmwatch.restrictedContainerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/*
A kubelet probe on the health endpoint of the probe or the classifier (docs/operations.md,
"Health endpoints"): the container's port named "health", which the command binds on the pod's
address (--health-address=$(POD_IP); in the host network that is the node's). /health/live is 503
when the component's main loop made no progress for its stall timeout (a wedged capture or poll
loop: a restart is the cure); /health/ready is 503 while it does not do its job (Kafka not taking
the probe's records, no rights list, no partitions, Elasticsearch writes failing past their grace),
which a restart would not cure. Call with (dict "path" "/health/live" "period" 10 "failures" 3).
*/}}
{{- define "swarmwatch.healthProbe" -}}
httpGet:
  path: {{ .path }}
  port: health
periodSeconds: {{ .period | default 10 }}
timeoutSeconds: 5
failureThreshold: {{ .failures | default 3 }}
{{- end -}}

{{/* NetworkPolicy egress rules: to a service (peers and ports), and to DNS. */}}
{{- define "swarmwatch.egressTo" -}}
- {{- with .to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  ports:
    {{- range .ports }}
    - protocol: TCP
      port: {{ . }}
    {{- end }}
{{- end -}}
{{- define "swarmwatch.egressDns" -}}
# name resolution, wherever the cluster's DNS runs
- ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
{{- end -}}
