package io.iotgrid.sources.impl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** The checks of the URI lists the CoAP source takes ({@code coap.uris}, {@code coap.discover}). */
public final class CoapUris {

    private CoapUris() {
    }

    /** Whether every element of a list passes {@code check}; {@code null} elements never do. */
    public static Predicate<List<String>> each(Predicate<URI> check) {
        return uris -> uris.stream().allMatch(u -> {
            URI uri = parse(u);
            return uri != null && check.test(uri);
        });
    }

    /** Whether a list has neither {@code null} nor malformed URIs. */
    public static boolean wellFormed(List<String> uris) {
        return uris.stream().allMatch(u -> parse(u) != null);
    }

    /** Whether a list names no URI twice. */
    public static boolean distinct(List<String> uris) {
        return uris.stream().allMatch(new HashSet<String>()::add);
    }

    /** Whether {@code uri}'s scheme is {@code coap} or {@code coaps}, in any case. */
    public static boolean coapScheme(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("coap") || scheme.equals("coaps");
    }

    /** Whether {@code uri}'s scheme is {@code coaps}, in any case. */
    public static boolean secure(String uri) {
        return uri.toLowerCase(Locale.ROOT).startsWith("coaps:");
    }

    private static URI parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
