package dev.fedplane.cli.apply;

import com.google.protobuf.Message;
import java.util.Map;

/**
 * One document of a manifest file, checked against its message type: the message it describes
 * ({@code App} or {@code Tenant}), where it starts, and the line of every field it sets (keys are
 * proto field paths like {@code spec.ports[0].container_port}), so that a server's complaint about
 * a field can name the line it came from.
 */
public record Manifest(
        String kind, Message message, String source, int line, Map<String, Integer> lines) {

    /**
     * "file:line" of {@code fieldPath} (the server's path, e.g. {@code app.spec.replicas}) or of
     * its nearest parent.
     */
    public String locate(String fieldPath) {
        String p = fieldPath;
        int dot = p.indexOf('.');
        String head = dot < 0 ? p : p.substring(0, dot);
        if (head.equals("app") || head.equals("tenant")) {
            p = dot < 0 ? "" : p.substring(dot + 1);
        }
        while (!p.isEmpty()) {
            Integer l = lines.get(p);
            if (l != null) {
                return source + ":" + l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return source + ":" + line;
    }
}
