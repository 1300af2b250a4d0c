package org.swarmwatch.probe.fuzz;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An estimate of the heap an object graph holds, for tests that check a memory bound without
 * knowing the classes inside (the dissectors' sessions change often; this walks whatever they
 * are). Follows instance fields of the project's classes by reflection; JDK classes, whose
 * fields are closed to reflection, are measured through their public API (collections, maps,
 * strings, buffers), and any other JDK object counts a flat {@value #OPAQUE} bytes. Sizes assume
 * a 64-bit JVM with compressed references: 16 bytes of header, 4 per reference. An estimate, not
 * a measurement: good for "does not grow with the input", not for exact budgets.
 */
final class RetainedBytes {
    static final int HEADER = 16, REFERENCE = 4, OPAQUE = 256;

    /** Instance fields of a class and its project superclasses, made accessible once. */
    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> c) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> k = c; k != null && !isJdk(k); k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && (f.getType().isPrimitive() || f.trySetAccessible())) {
                        fields.add(f);
                    }
                }
            }
            return List.copyOf(fields);
        }
    };

    private final Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Deque<Object> pending = new ArrayDeque<>();
    private long bytes;

    private RetainedBytes() {
    }

    /** Bytes reachable from {@code root}, not counting {@code shared} objects and what only they reach. */
    static long of(Object root, Object... shared) {
        RetainedBytes r = new RetainedBytes();
        r.visited.addAll(List.of(shared));
        r.push(root);
        while (!r.pending.isEmpty()) {
            r.measure(r.pending.pop());
        }
        return r.bytes;
    }

    private void push(Object o) {
        if (o != null && !(o instanceof Class<?>) && !(o instanceof Enum<?>) && visited.add(o)) {
            pending.push(o);
        }
    }

    private void measure(Object o) {
        Class<?> c = o.getClass();
        if (c.isArray()) {
            int n = Array.getLength(o);
            Class<?> e = c.getComponentType();
            bytes += HEADER + (long) n * (e.isPrimitive() ? primitiveSize(e) : REFERENCE);
            if (!e.isPrimitive()) {
                for (Object x : (Object[]) o) {
                    push(x);
                }
            }
            return;
        }
        if (isJdk(c)) {
            measureJdk(o);
            return;
        }
        bytes += HEADER;
        for (Field f : FIELDS.get(c)) {
            if (f.getType().isPrimitive()) {
                bytes += primitiveSize(f.getType());
                continue;
            }
            bytes += REFERENCE;
            try {
                push(f.get(o));
            } catch (IllegalAccessException e) {
                bytes += OPAQUE;
            }
        }
    }

    private void measureJdk(Object o) {
        if (o instanceof CharSequence s) {
            bytes += HEADER * 2L + s.length() * 2L;
        } else if (o instanceof Number || o instanceof Boolean || o instanceof Character) {
            bytes += HEADER;
        } else if (o instanceof Collection<?> c) {
            bytes += HEADER * 2L + (long) c.size() * REFERENCE * 2;
            new ArrayList<>(c).forEach(this::push);
        } else if (o instanceof Map<?, ?> m) {
            bytes += HEADER * 2L + (long) m.size() * (HEADER + 4L * REFERENCE);
            m.forEach((k, v) -> {
                push(k);
                push(v);
            });
        } else if (o instanceof Buffer b) {
            bytes += HEADER * 3L + b.capacity() * 8L; // up to 8 bytes per element (LongBuffer, DoubleBuffer)
        } else if (o instanceof ByteArrayOutputStream b) {
            bytes += HEADER * 3L + b.size();
        } else if (o instanceof BitSet b) {
            bytes += HEADER * 2L + b.size() / 8;
        } else {
            bytes += OPAQUE; // MessageDigest, Random, ...: small state of its own
        }
    }

    private static boolean isJdk(Class<?> c) {
        String n = c.getName();
        return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.");
    }

    private static int primitiveSize(Class<?> t) {
        if (t == long.class || t == double.class) {
            return 8;
        }
        if (t == int.class || t == float.class) {
            return 4;
        }
        if (t == short.class || t == char.class) {
            return 2;
        }
        return 1;
    }
}
