import { Module } from '@nestjs/common';
import { StatesRepository } from './states.repository';
import { StatesService } from './states.service';

@Module({
  providers: [StatesRepository, StatesService],
  exports: [StatesService],
})
export class StatesModule {}
