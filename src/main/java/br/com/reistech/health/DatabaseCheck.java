package br.com.reistech.health;

import br.com.reistech.persistence.Database;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** PostgreSQL answers a validity check; reports the pool figures. Critical. */
public final class DatabaseCheck implements HealthCheck {

    private final Database database;
    private final Duration timeout;

    public DatabaseCheck(Database database, Duration timeout) {
        this.database = database;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public boolean critical() {
        return true;
    }

    @Override
    public Result run() {
        boolean up = database.ping(timeout);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("pool", database.poolFigures());
        return Result.of(up, figures);
    }
}
