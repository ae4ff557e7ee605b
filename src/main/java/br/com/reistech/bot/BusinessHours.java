package br.com.reistech.bot;

import br.com.reistech.workspaces.WorkspaceSettings;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Whether a store is open at an instant, in its own time zone, and its hours in words. */
public final class BusinessHours {

    private BusinessHours() {
    }

    public static boolean isOpen(WorkspaceSettings.BusinessHours hours, Instant at) {
        ZonedDateTime local = at.atZone(ZoneId.of(hours.timezone()));
        LocalTime time = local.toLocalTime();
        for (WorkspaceSettings.Interval interval : day(hours.week(), local.getDayOfWeek())) {
            LocalTime open = LocalTime.parse(interval.open());
            boolean beforeClose = "24:00".equals(interval.close()) || time.isBefore(LocalTime.parse(interval.close()));
            if (!time.isBefore(open) && beforeClose) {
                return true;
            }
        }
        return false;
    }

    /** For example {@code seg 09:00-18:00; ter 09:00-18:00}; days without hours are left out. */
    public static String describe(WorkspaceSettings.BusinessHours hours) {
        Map<String, List<WorkspaceSettings.Interval>> days = new LinkedHashMap<>();
        WorkspaceSettings.Week week = hours.week();
        days.put("seg", week.mon());
        days.put("ter", week.tue());
        days.put("qua", week.wed());
        days.put("qui", week.thu());
        days.put("sex", week.fri());
        days.put("sáb", week.sat());
        days.put("dom", week.sun());
        List<String> parts = new ArrayList<>();
        days.forEach((day, intervals) -> {
            if (!intervals.isEmpty()) {
                parts.add(day + " " + String.join(", ", intervals.stream().map(i -> i.open() + "-" + i.close()).toList()));
            }
        });
        return parts.isEmpty() ? "(sem horário definido)" : String.join("; ", parts);
    }

    private static List<WorkspaceSettings.Interval> day(WorkspaceSettings.Week week, DayOfWeek day) {
        return switch (day) {
            case MONDAY -> week.mon();
            case TUESDAY -> week.tue();
            case WEDNESDAY -> week.wed();
            case THURSDAY -> week.thu();
            case FRIDAY -> week.fri();
            case SATURDAY -> week.sat();
            case SUNDAY -> week.sun();
        };
    }
}
