from monitoring.models.emissions import BiskoSector, EmissionBalance, EmissionPath, EmissionPathPoint, EnergyCarrier
from monitoring.models.indicators import Indicator, IndicatorValue
from monitoring.models.planning import ClimateStrategy, HeatPlanning, HeatPlanningStep, Stage, legal_deadline
from monitoring.models.reminders import Reminder
from monitoring.models.reports import Report, ReportSchedule

__all__ = [
    "BiskoSector",
    "ClimateStrategy",
    "EmissionBalance",
    "EmissionPath",
    "EmissionPathPoint",
    "EnergyCarrier",
    "HeatPlanning",
    "HeatPlanningStep",
    "Indicator",
    "IndicatorValue",
    "Reminder",
    "Report",
    "ReportSchedule",
    "Stage",
    "legal_deadline",
]
