package dev.fedplane.cli.apply;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The form in which {@code apply} compares what a file asks for with what the server holds, so that
 * applying an unchanged file sends nothing. The server stores some fields normalised: an empty
 * sub-message is the same as an absent one (except {@code optional} ones such as {@code burst},
 * whose presence means something), an empty {@code protocol} is "TCP" (any case), and an
 * unspecified {@code division} is STATIC_WEIGHTS. Anything else that differs is sent as an update;
 * at worst an update that changes nothing.
 */
final class Canonical {
    private Canonical() {}

    static Message of(Message m) {
        Message.Builder b = m.toBuilder();
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            if (f.isMapField()) {
                continue;
            }
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (f.isRepeated()) {
                    List<Object> items = new ArrayList<>();
                    for (int i = 0; i < m.getRepeatedFieldCount(f); i++) {
                        items.add(of((Message) m.getRepeatedField(f, i)));
                    }
                    b.setField(f, items);
                } else if (m.hasField(f)) {
                    Message sub = of((Message) m.getField(f));
                    if (sub.equals(sub.getDefaultInstanceForType())
                            && !f.toProto().getProto3Optional()) {
                        b.clearField(f);
                    } else {
                        b.setField(f, sub);
                    }
                }
            } else if (f.getName().equals("protocol")
                    && f.getJavaType() == FieldDescriptor.JavaType.STRING
                    && !f.isRepeated()) {
                String v = (String) m.getField(f);
                b.setField(f, v.isEmpty() ? "TCP" : v.toUpperCase(Locale.ROOT));
            } else if (f.getName().equals("division")
                    && f.getJavaType() == FieldDescriptor.JavaType.ENUM
                    && ((com.google.protobuf.Descriptors.EnumValueDescriptor) m.getField(f))
                                    .getNumber()
                            == 0) {
                b.setField(f, f.getEnumType().findValueByName("STATIC_WEIGHTS"));
            }
        }
        return b.build();
    }

    static boolean same(Message a, Message b) {
        return of(a).equals(of(b));
    }
}
