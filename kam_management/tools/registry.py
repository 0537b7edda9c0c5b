def models_inheriting(env, mixin):
    """Names of the concrete models that inherit the AbstractModel ``mixin``, found
    through the registry: the way every KAM extension point (action sources,
    registers, periodic duties, clause links) discovers its adopters, so a new
    model only inherits the mixin and nothing central is edited."""
    registry = env.registry
    if mixin not in registry:
        return []
    base = registry[mixin]
    return sorted(
        name
        for name, model_cls in registry.items()
        if name != mixin
        and not model_cls._abstract
        and not model_cls._transient
        and issubclass(model_cls, base)
    )
