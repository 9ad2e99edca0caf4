package dev.ordersaga.bench;

import java.io.DataInput;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.io.InputDecorator;
import com.fasterxml.jackson.core.io.OutputDecorator;

import dev.ordersaga.json.Json;

/**
 * Counts the JSON documents the application encodes and decodes, without a change to its code: every JSON of the
 * contract and the API goes through {@link Json#MAPPER}, whose {@link JsonFactory} calls its input decorator once
 * for every parser it creates and its output decorator once for every generator, that is once per document read or
 * written. The decorators count and hand the input or output back untouched (for a {@code byte[]} input they return
 * null, which tells Jackson to parse the array as it would without them).
 *
 * <p>One side effect: with an input decorator set, Jackson parses a {@code String} through a {@code StringReader}
 * instead of copying it into its own char buffer (the API's request body, once per POST); the cost is about the same.
 * Documents the mapper converts without text ({@code convertValue}, trees) are not encodes or decodes and are not
 * counted; neither are other mappers (the OpenAPI document's, only on a request for it).
 */
final class JsonCounts {

    private static final LongAdder ENCODES = new LongAdder();
    private static final LongAdder DECODES = new LongAdder();
    private static boolean installed;

    private JsonCounts() {
    }

    /**
     * Sets the counting decorators on the application's mapper. Call it before the application starts: the factory's
     * decorator fields are not volatile, and threads started after this call see them.
     */
    static synchronized void install() {
        if (installed) {
            return;
        }
        JsonFactory factory = Json.MAPPER.getFactory();
        if (factory.getInputDecorator() != null || factory.getOutputDecorator() != null) {
            throw new IllegalStateException("Json.MAPPER already has decorators: the counts would replace them");
        }
        factory.setInputDecorator(new Decodes());
        factory.setOutputDecorator(new Encodes());
        installed = true;
    }

    static long encodes() {
        return ENCODES.sum();
    }

    static long decodes() {
        return DECODES.sum();
    }

    private static final class Decodes extends InputDecorator {
        @Override
        public InputStream decorate(IOContext context, InputStream in) {
            DECODES.increment();
            return in;
        }

        @Override
        public InputStream decorate(IOContext context, byte[] src, int offset, int length) {
            DECODES.increment();
            return null; // parse the array itself
        }

        @Override
        public DataInput decorate(IOContext context, DataInput input) {
            DECODES.increment();
            return input;
        }

        @Override
        public Reader decorate(IOContext context, Reader reader) {
            DECODES.increment();
            return reader;
        }
    }

    private static final class Encodes extends OutputDecorator {
        @Override
        public OutputStream decorate(IOContext context, OutputStream out) {
            ENCODES.increment();
            return out;
        }

        @Override
        public Writer decorate(IOContext context, Writer writer) {
            ENCODES.increment();
            return writer;
        }
    }
}
