"""Who people speak for: stakeholder groups, regions and organisations."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class StakeholderGroup(Table, tablename="stakeholder_group"):
    """The sector a person speaks for; feedback and reports are read by group."""

    id: Serial
    slug = Varchar(length=80, unique=True)
    name = Varchar(length=120, unique=True)
    description = Text(default="")
    position = Integer(default=0)
    created_at = Timestamptz()


class Region(Table, tablename="region"):
    id: Serial
    slug = Varchar(length=80, unique=True)
    name = Varchar(length=120, unique=True)


class Organisation(Table, tablename="organisation"):
    id: Serial
    slug = Varchar(length=120, unique=True)
    name = Varchar(length=200, index=True)
    stakeholder_group = ForeignKey(StakeholderGroup, null=False, on_delete=OnDelete.restrict, index=True)
    region = ForeignKey(Region, null=True, on_delete=OnDelete.set_null)
    website = Varchar(length=300, default="")
    created_at = Timestamptz()
