"""Data needs (需求清单): a department asks for data nobody has listed; a provider answers."""
