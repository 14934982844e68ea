{{/*
The operator app's or the customer portal's Deployment, Service and session-store claim:
(dict "root" $ "component" "operator" "app" .Values.operator).
*/}}
{{- define "dezky.nuxtApp" -}}
{{- $root := .root -}}
{{- $app := .app -}}
{{- $ctx := dict "root" $root "component" .component -}}
{{- $name := include "dezky.componentName" $ctx -}}
{{- $persistence := $app.sessionStore.persistence -}}
{{- /* Where Authentik sends the browser back: the app's public origin, https when the Ingress has
TLS for its host. Set explicitly, so it never depends on the headers a proxy forwards. */ -}}
{{- $host := index $root.Values.ingress.hosts .component -}}
{{- $scheme := "http" -}}
{{- range $root.Values.ingress.tls }}{{ if has $host (.hosts | default list) }}{{ $scheme = "https" }}{{ end }}{{ end -}}
{{- $redirectUrl := $app.oidc.redirectUrl | default (printf "%s://%s/auth/oidc/callback" $scheme $host) -}}
{{- $shared := or $persistence.existingClaim (and $persistence.enabled (has "ReadWriteMany" $persistence.accessModes)) -}}
{{- if and (gt (int $app.replicas) 1) (not $shared) }}
{{- fail (printf "%s.replicas is %v: every replica must see the same session store, so %s.sessionStore.persistence must be enabled with accessModes [ReadWriteMany] (or name an existingClaim that is one)" .component $app.replicas .component) }}
{{- end }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "dezky.componentLabels" $ctx | nindent 4 }}
spec:
  replicas: {{ $app.replicas }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "dezky.selectorLabels" $ctx | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "dezky.componentLabels" $ctx | nindent 8 }}
      {{- with $app.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "dezky.serviceAccountName" $root }}
      automountServiceAccountToken: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .component }}
          image: {{ include "dezky.image" (dict "root" $root "image" $app.image) | quote }}
          imagePullPolicy: {{ $app.image.pullPolicy }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ $app.port }}
              protocol: TCP
          env:
            - name: PORT
              value: {{ $app.port | quote }}
            - name: HOST
              value: "0.0.0.0"
            # The same environment as the API's: production refuses sample secrets.
            - name: APP_ENV
              value: {{ $root.Values.api.env.appEnv | quote }}
            - name: NUXT_PLATFORM_API_URL
              value: {{ include "dezky.api.url" $root | quote }}
            - name: NUXT_OAUTH_OIDC_OPENID_CONFIG
              value: {{ $app.oidc.openidConfig | quote }}
            - name: NUXT_OAUTH_OIDC_CLIENT_ID
              value: {{ $app.oidc.clientId | quote }}
            - name: NUXT_OAUTH_OIDC_REDIRECT_URL
              value: {{ $redirectUrl | quote }}
            - name: NUXT_SESSION_STORE_DIR
              value: {{ $app.sessionStore.mountPath | quote }}
            - name: NUXT_SESSION_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {{ required (printf "%s.existingSecret: the Secret with NUXT_SESSION_PASSWORD and NUXT_OAUTH_OIDC_CLIENT_SECRET" .component) $app.existingSecret | quote }}
                  key: {{ $app.secretKeys.sessionPassword | quote }}
            - name: NUXT_OAUTH_OIDC_CLIENT_SECRET
              valueFrom:
                secretKeyRef:
                  name: {{ $app.existingSecret | quote }}
                  key: {{ $app.secretKeys.oidcClientSecret | quote }}
            {{- with $app.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          readinessProbe:
            {{- toYaml $app.readinessProbe | nindent 12 }}
          livenessProbe:
            {{- toYaml $app.livenessProbe | nindent 12 }}
          resources:
            {{- toYaml $app.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: sessions
              mountPath: {{ $app.sessionStore.mountPath }}
      volumes:
        - name: tmp
          emptyDir: {}
        - name: sessions
          {{- if $persistence.existingClaim }}
          persistentVolumeClaim:
            claimName: {{ $persistence.existingClaim }}
          {{- else if $persistence.enabled }}
          persistentVolumeClaim:
            claimName: {{ printf "%s-sessions" $name }}
          {{- else }}
          emptyDir: {}
          {{- end }}
      {{- with $app.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $app.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $app.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "dezky.componentLabels" $ctx | nindent 4 }}
spec:
  type: {{ $app.service.type }}
  selector:
    {{- include "dezky.selectorLabels" $ctx | nindent 4 }}
  ports:
    - name: http
      port: {{ $app.port }}
      targetPort: http
      protocol: TCP
{{- if and $persistence.enabled (not $persistence.existingClaim) }}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {{ printf "%s-sessions" $name }}
  labels:
    {{- include "dezky.componentLabels" $ctx | nindent 4 }}
  annotations:
    helm.sh/resource-policy: keep
spec:
  accessModes:
    {{- toYaml $persistence.accessModes | nindent 4 }}
  {{- with $persistence.storageClass }}
  storageClassName: {{ . | quote }}
  {{- end }}
  resources:
    requests:
      storage: {{ $persistence.size }}
{{- end }}
{{- end -}}
