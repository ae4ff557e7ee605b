package br.com.reistech.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.ext.ContextResolver;

/** Hands Jersey's Jackson provider the application's one configured {@link ObjectMapper} ({@link Json}). */
final class ObjectMapperResolver implements ContextResolver<ObjectMapper> {

    private final ObjectMapper json;

    ObjectMapperResolver(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return json;
    }
}
