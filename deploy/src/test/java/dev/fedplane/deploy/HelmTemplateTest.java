package dev.fedplane.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The template subset, case by case: what it renders, and what it refuses. */
class HelmTemplateTest {
    private static final Map<String, Object> ROOT =
            Map.of(
                    "Values",
                            Map.of(
                                    "name",
                                    "web",
                                    "replicas",
                                    3,
                                    "empty",
                                    "",
                                    "on",
                                    true,
                                    "off",
                                    false,
                                    "labels",
                                    List.of("a=1", "b=2"),
                                    "none",
                                    List.of(),
                                    "resources",
                                    Map.of("requests", Map.of("memory", "1Gi", "cpu", "500m")),
                                    "mode",
                                    "etcd"),
                    "Release", Map.of("Name", "rel", "Namespace", "ns"));

    record Case(String name, String template, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> rendered() {
        return Stream.of(
                new Case("a value", "x: {{ .Values.name }}", "x: web"),
                new Case("a number", "n: {{ .Values.replicas }}", "n: 3"),
                new Case(
                        "release fields", "{{ .Release.Name }}/{{ .Release.Namespace }}", "rel/ns"),
                new Case("quote", "{{ .Values.name | quote }}", "\"web\""),
                new Case(
                        "default of an empty value",
                        "{{ .Values.empty | default \"dflt\" }}",
                        "dflt"),
                new Case("default of a set value", "{{ .Values.name | default \"dflt\" }}", "web"),
                new Case("if true", "{{ if .Values.on }}yes{{ end }}", "yes"),
                new Case(
                        "if false takes else",
                        "{{ if .Values.off }}yes{{ else }}no{{ end }}",
                        "no"),
                new Case(
                        "an empty string is false",
                        "{{ if .Values.empty }}yes{{ else }}no{{ end }}",
                        "no"),
                new Case("eq", "{{ if eq .Values.mode \"etcd\" }}e{{ end }}", "e"),
                new Case("ne", "{{ if ne .Values.mode \"etcd\" }}e{{ else }}x{{ end }}", "x"),
                new Case("not", "{{ if not .Values.off }}y{{ end }}", "y"),
                new Case(
                        "trim markers eat whitespace and newlines",
                        "a:\n  {{- if .Values.on }}\n  b: 1\n  {{- end }}\n",
                        "a:\n  b: 1\n"),
                new Case(
                        "range over a list rebinds dot",
                        "{{- range .Values.labels }}\n- {{ . }}{{- end }}",
                        "\n- a=1\n- b=2"),
                new Case("range over an empty list", "[{{ range .Values.none }}x{{ end }}]", "[]"),
                new Case(
                        "with rebinds dot",
                        "{{ with .Values.resources }}{{ .requests.cpu }}{{ end }}",
                        "500m"),
                new Case(
                        "$ reaches the root inside with",
                        "{{ with .Values.resources }}{{ $.Values.name }}{{ end }}",
                        "web"),
                new Case(
                        "toYaml sorts keys and nindent indents",
                        "r:{{ toYaml .Values.resources | nindent 2 }}",
                        "r:\n  requests:\n    cpu: 500m\n    memory: 1Gi"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    @DisplayName("renders")
    void renders(Case c) {
        assertThat(HelmTemplate.render(c.template(), ROOT)).isEqualTo(c.expected());
    }

    static Stream<Case> refused() {
        return Stream.of(
                new Case(
                        "a value missing from values.yaml",
                        "{{ .Values.nope }}",
                        "no such value: .Values.nope"),
                new Case(
                        "a missing value in a condition",
                        "{{ if .Values.nope }}x{{ end }}",
                        "no such value"),
                new Case(
                        "an unknown function",
                        "{{ .Values.name | upper }}",
                        "unsupported function 'upper'"),
                new Case("include", "{{ include \"x\" . }}", "unsupported action"),
                new Case("define", "{{ define \"x\" }}y{{ end }}", "unsupported action"),
                new Case(
                        "parentheses",
                        "{{ default (printf \"%s\" .Values.name) .Values.empty }}",
                        "parentheses"),
                new Case("variables", "{{ range $k, $v := .Values.labels }}{{ end }}", "variables"),
                new Case(
                        "a map printed as text",
                        "{{ .Values.resources }}",
                        "a map or list printed as text"),
                new Case(
                        "range over a map",
                        "{{ range .Values.resources }}x{{ end }}",
                        "not a list"),
                new Case("an unclosed if", "{{ if .Values.on }}x", "never closed"),
                new Case("an end without a block", "x{{ end }}", "'end' without a block"),
                new Case(
                        "a wrong argument count",
                        "{{ quote .Values.name .Values.mode }}",
                        "quote takes 1 argument"),
                new Case("a comment", "{{/* note */}}", "unsupported action"),
                new Case("an action that never closes", "{{ .Values.name ", "never closes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    @DisplayName("refuses")
    void refuses(Case c) {
        assertThatThrownBy(() -> HelmTemplate.render(c.template(), ROOT))
                .isInstanceOf(HelmTemplate.RenderException.class)
                .hasMessageContaining(c.expected());
    }
}
